// How storage's rows become what the API answers with.

/** A timestamp as the API gives it: ISO 8601 in UTC. PGlite returns Dates; so does pg. */
export const iso = (d: Date | string) => new Date(d).toISOString();
