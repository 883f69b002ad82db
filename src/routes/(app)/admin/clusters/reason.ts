/** Said under every reason box in county set-up: who will read the reason. */
export const REASON_HINT = 'This is kept in the cluster’s history with your name and the time.';
