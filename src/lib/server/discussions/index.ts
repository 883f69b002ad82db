export { postComment, editComment, deleteComment } from './commands';
export { discussionFor, commentHistory, OLDEST_FIRST_KEY } from './queries';
export { discussionActions, discussionOnPage } from './actions';
export { discussionDigestJob, discussionRetentionJob, sendDigests, sweepDiscussions } from './jobs';
