CREATE INDEX `client_flags_unresolved_idx` ON `client_flags` (`resolved_at`,`client_id`);--> statement-breakpoint
CREATE INDEX `group_sessions_status_end_idx` ON `group_sessions` (`status`,`ends_at`);--> statement-breakpoint
CREATE INDEX `volunteer_hours_status_idx` ON `volunteer_hours` (`status`,`worked_on`);