// Input limits, named so the forms, the API and the tests agree.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 120;
export const REASON_MAX_LENGTH = 1000;
export const CLUSTER_NAME_MAX_LENGTH = 80;
