/**
 * A parsed HTTP response body in a test. Tests assert bodies field by field (and `toMatchObject`);
 * a declared type per response would only restate those assertions, and `unknown` would need a
 * cast at every one of them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type JsonBody = any;
