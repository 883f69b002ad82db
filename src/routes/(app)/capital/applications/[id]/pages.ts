// What the application's pages share on the client: who is in the application now.
import { lazyTrpc } from '$lib/trpc-lazy';

export interface PresentWriter {
	userId: number;
	name: string;
	section: string | null;
	isYou: boolean;
}

export const applicationPresence = (applicationId: number): Promise<PresentWriter[]> => lazyTrpc().then((api) => api.capitalApplications.presence.query({ applicationId }));

export const applicationCrumbs = (application: { id: number; reference: string }) => [
	{ href: '/capital/applications', label: 'Inclusion-base applications' },
	{ href: `/capital/applications/${application.id}`, label: application.reference }
];
