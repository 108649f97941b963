CREATE TABLE `recon_aliases` (
	`printed` text NOT NULL,
	`player` text NOT NULL,
	`confirmed_by` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`printed`, `player`)
);
--> statement-breakpoint
CREATE TABLE `recon_matches` (
	`message_id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`player` text NOT NULL,
	`amount` integer NOT NULL,
	`how` text NOT NULL,
	`state` text NOT NULL,
	`matched_by` text NOT NULL,
	`matched_at` integer NOT NULL,
	`refusal` text,
	`settled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recon_matches_request` ON `recon_matches` (`request_id`) WHERE state <> 'refused';--> statement-breakpoint
CREATE TABLE `recon_messages` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`source_id` text NOT NULL,
	`external_id` text NOT NULL,
	`content_hash` text NOT NULL,
	`text` text NOT NULL,
	`sender` text,
	`received_at` integer NOT NULL,
	`kind` text NOT NULL,
	`bank` text,
	`amount` integer,
	`depositor` text,
	`bank_time` text,
	`bank_at` integer NOT NULL,
	`balance` integer,
	`balance_gap` integer DEFAULT false NOT NULL,
	`state` text NOT NULL,
	`duplicate_of` text,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recon_messages_id_unique` ON `recon_messages` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `recon_messages_source_external` ON `recon_messages` (`source_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `recon_messages_hash` ON `recon_messages` (`content_hash`,`received_at`);--> statement-breakpoint
CREATE INDEX `recon_messages_state` ON `recon_messages` (`state`,`seq`);--> statement-breakpoint
CREATE INDEX `recon_messages_amount` ON `recon_messages` (`kind`,`amount`,`bank_at`);--> statement-breakpoint
CREATE TABLE `recon_requests` (
	`request_id` text PRIMARY KEY NOT NULL,
	`player` text NOT NULL,
	`amount` integer NOT NULL,
	`depositor` text,
	`requested_at` integer NOT NULL,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `recon_requests_pending` ON `recon_requests` (`status`,`amount`,`requested_at`);--> statement-breakpoint
CREATE TABLE `recon_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`status` text NOT NULL,
	`secret` text NOT NULL,
	`secret_version` integer DEFAULT 1 NOT NULL,
	`settings` text NOT NULL,
	`cursor` text,
	`connected` integer DEFAULT false NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`down` integer DEFAULT false NOT NULL,
	`last_message_at` integer,
	`last_error` text,
	`last_error_at` integer,
	`status_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
