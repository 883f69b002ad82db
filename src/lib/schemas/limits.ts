// Input limits, named so the forms, the API and the tests agree.
/** The largest value of a PostgreSQL `integer` (int4) column: every id, version and sequence column here. */
export const INT4_MAX = 2_147_483_647;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 120;
export const REASON_MAX_LENGTH = 1000;
export const CLUSTER_NAME_MAX_LENGTH = 80;
