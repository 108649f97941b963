CREATE TABLE `rolling_bets` (
	`bet_key` text PRIMARY KEY NOT NULL,
	`player_id` text NOT NULL,
	`transaction_id` text,
	`stake` integer NOT NULL,
	`contribution` integer NOT NULL,
	`category` text,
	`shares` text DEFAULT '[]' NOT NULL,
	`rolled_back` integer DEFAULT false NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rolling_records` (
	`id` text PRIMARY KEY NOT NULL,
	`player_id` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_transaction_id` text NOT NULL,
	`amount` integer NOT NULL,
	`multiple_ppm` integer NOT NULL,
	`target` integer NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`reported_version` integer DEFAULT 0 NOT NULL,
	`reported_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`deadline_at` integer,
	`closed_at` integer,
	`closed_by` text,
	`close_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rolling_records_source_transaction_id_unique` ON `rolling_records` (`source_transaction_id`);--> statement-breakpoint
CREATE INDEX `rolling_records_open` ON `rolling_records` (`player_id`,`status`,`source_transaction_id`);--> statement-breakpoint
CREATE INDEX `rolling_records_deadline` ON `rolling_records` (`status`,`deadline_at`);--> statement-breakpoint
CREATE INDEX `rolling_records_unreported` ON `rolling_records` (`id`) WHERE "rolling_records"."version" > "rolling_records"."reported_version";