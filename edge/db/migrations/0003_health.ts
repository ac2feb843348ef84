/** One row /healthz writes, so a read-only, full or broken database shows as unhealthy. */
export default `
CREATE TABLE health (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
`
