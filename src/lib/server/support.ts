// Who people write to about the portal (help, accessibility, their data, feedback). The council
// sets its real mailbox with SUPPORT_EMAIL; the default is the demo county's invented one.
export function supportEmail(): string {
	return process.env.SUPPORT_EMAIL?.trim() || 'send-portal@portal.example';
}
