ALTER TABLE `clients` ADD `last_contact_at` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `next_contact_due` text;--> statement-breakpoint
UPDATE `clients` SET
  `last_contact_at` = (SELECT max(k.`happened_at`) FROM `contacts` k WHERE k.`client_id` = `clients`.`id`),
  `next_contact_due` = (SELECT k.`next_contact_due` FROM `contacts` k WHERE k.`client_id` = `clients`.`id` ORDER BY k.`happened_at` DESC, k.`id` DESC LIMIT 1);
--> statement-breakpoint
CREATE TRIGGER `contacts_cadence_insert` AFTER INSERT ON `contacts`
BEGIN
  UPDATE `clients` SET `last_contact_at` = NEW.`happened_at`, `next_contact_due` = NEW.`next_contact_due`
  WHERE `id` = NEW.`client_id` AND (`last_contact_at` IS NULL OR NEW.`happened_at` >= `last_contact_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_cadence_update` AFTER UPDATE OF `client_id`, `happened_at`, `next_contact_due` ON `contacts`
BEGIN
  UPDATE `clients` SET
    `last_contact_at` = (SELECT max(k.`happened_at`) FROM `contacts` k WHERE k.`client_id` = `clients`.`id`),
    `next_contact_due` = (SELECT k.`next_contact_due` FROM `contacts` k WHERE k.`client_id` = `clients`.`id` ORDER BY k.`happened_at` DESC, k.`id` DESC LIMIT 1)
  WHERE `id` IN (OLD.`client_id`, NEW.`client_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_cadence_delete` AFTER DELETE ON `contacts`
BEGIN
  UPDATE `clients` SET
    `last_contact_at` = (SELECT max(k.`happened_at`) FROM `contacts` k WHERE k.`client_id` = `clients`.`id`),
    `next_contact_due` = (SELECT k.`next_contact_due` FROM `contacts` k WHERE k.`client_id` = `clients`.`id` ORDER BY k.`happened_at` DESC, k.`id` DESC LIMIT 1)
  WHERE `id` = OLD.`client_id`;
END;
