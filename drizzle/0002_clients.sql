CREATE TABLE `client_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`kind` text NOT NULL,
	`person_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	`assigned_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `client_assignments_active_uq` ON `client_assignments` (`client_id`,`kind`) WHERE to_date is null;--> statement-breakpoint
CREATE INDEX `client_assignments_client_idx` ON `client_assignments` (`client_id`,`kind`,`from_date`);--> statement-breakpoint
CREATE INDEX `client_assignments_worker_idx` ON `client_assignments` (`person_id`,`to_date`);--> statement-breakpoint
CREATE TABLE `client_identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`real_name` text NOT NULL,
	`id_number` text DEFAULT '' NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `client_identities_client_uq` ON `client_identities` (`client_id`);--> statement-breakpoint
CREATE TABLE `clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_number` text NOT NULL,
	`alias` text NOT NULL,
	`district_id` integer NOT NULL,
	`subdistrict_id` integer,
	`point_id` integer,
	`legal_status` text NOT NULL,
	`intake_date` text NOT NULL,
	`risk_level` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`closed_reason` text DEFAULT '' NOT NULL,
	`closed_on` text,
	`person_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subdistrict_id`) REFERENCES `subdistricts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`point_id`) REFERENCES `social_work_points`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_case_number_uq` ON `clients` (`case_number`);--> statement-breakpoint
CREATE INDEX `clients_district_status_idx` ON `clients` (`district_id`,`status`);--> statement-breakpoint
CREATE INDEX `clients_intake_idx` ON `clients` (`intake_date`);--> statement-breakpoint
CREATE INDEX `clients_person_idx` ON `clients` (`person_id`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`purposes` text NOT NULL,
	`sensitive_info` integer DEFAULT false NOT NULL,
	`agreed_on` text NOT NULL,
	`recorded_by` integer NOT NULL,
	`withdrawn_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consents_client_idx` ON `consents` (`client_id`,`agreed_on`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`author_user_id` integer NOT NULL,
	`type` text NOT NULL,
	`happened_at` text NOT NULL,
	`duration_minutes` integer DEFAULT 0 NOT NULL,
	`participants` text DEFAULT '[]' NOT NULL,
	`summary` text NOT NULL,
	`mood` text,
	`risk_observation` text,
	`private` integer DEFAULT false NOT NULL,
	`next_contact_due` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contacts_client_at_idx` ON `contacts` (`client_id`,`happened_at`);--> statement-breakpoint
CREATE INDEX `contacts_author_at_idx` ON `contacts` (`author_user_id`,`happened_at`);--> statement-breakpoint
CREATE TABLE `monitoring_lift_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`sent_on` text,
	`decided_on` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lift_requests_client_idx` ON `monitoring_lift_requests` (`client_id`,`status`);--> statement-breakpoint
CREATE TABLE `recognitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`recognised_on` text NOT NULL,
	`recognised_by_user_id` integer NOT NULL,
	`evidence` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recognised_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recognitions_client_date_uq` ON `recognitions` (`client_id`,`recognised_on`);--> statement-breakpoint
CREATE INDEX `recognitions_date_idx` ON `recognitions` (`recognised_on`);--> statement-breakpoint
CREATE TABLE `substance_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`recorded_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `substance_events_client_date_uq` ON `substance_events` (`client_id`,`date`,`kind`);