// Opening hours are evaluated on wall clocks (src/search/opening.ts): the process must run in UTC, which
// has no daylight-saving gap. Imported first by every entry point; Node applies a TZ change at once.
process.env.TZ = 'UTC';
