-- INSERT OR REPLACE deletes the old row without firing DELETE triggers: refuse any insert that
-- would take the id of an existing audit row, so the log stays append-only.
CREATE TRIGGER `audit_log_no_replace` BEFORE INSERT ON `audit_log`
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM `audit_log` WHERE `id` = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
