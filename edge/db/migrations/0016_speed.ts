/**
 * The configuration's version (edge/settings/snapshot.ts): one row whose number every change of
 * the site settings or of the price overrides moves on, by triggers, whoever writes them (the
 * admin API, another instance, a script). Each instance keeps the settings and prices it read with
 * the version they came with, and reads them again only when the version has moved: one tiny read
 * instead of the settings' JSON and the price rows on every start.
 */
export default `
CREATE TABLE config_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);
CREATE TRIGGER settings_version_insert AFTER INSERT ON settings BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER settings_version_update AFTER UPDATE ON settings BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER settings_version_delete AFTER DELETE ON settings BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER prices_version_insert AFTER INSERT ON spend_prices BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER prices_version_update AFTER UPDATE ON spend_prices BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER prices_version_delete AFTER DELETE ON spend_prices BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
`
