/**
 * The test numbers join the configuration's version (migration 0016, edge/settings/snapshot.ts):
 * every add, removal and re-seal (maintenance/reseal.ts rewrites `code_sealed`) moves it, so each
 * instance keeps the list with the settings and a start reads no `test_numbers` row of its own,
 * yet sees a change made on any instance at its next version read.
 */
export default `
CREATE TRIGGER test_numbers_version_insert AFTER INSERT ON test_numbers BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER test_numbers_version_update AFTER UPDATE ON test_numbers BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER test_numbers_version_delete AFTER DELETE ON test_numbers BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
`
