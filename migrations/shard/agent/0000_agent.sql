CREATE TABLE `agent_activity` (
	`player_id` text NOT NULL,
	`day` text NOT NULL,
	`category` text NOT NULL,
	`bets` integer DEFAULT 0 NOT NULL,
	`wins` integer DEFAULT 0 NOT NULL,
	`deposits` integer DEFAULT 0 NOT NULL,
	`withdrawals` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`player_id`, `day`, `category`)
);
--> statement-breakpoint
CREATE INDEX `agent_activity_day` ON `agent_activity` (`day`);--> statement-breakpoint
CREATE TABLE `agent_players` (
	`player_id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`username` text NOT NULL,
	`nickname` text NOT NULL,
	`cash` integer DEFAULT 0 NOT NULL,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_players_username_unique` ON `agent_players` (`username`);--> statement-breakpoint
CREATE INDEX `agent_players_agent` ON `agent_players` (`agent_id`,`linked_at`);--> statement-breakpoint
CREATE TABLE `agent_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agent_sessions_agent` ON `agent_sessions` (`agent_id`);--> statement-breakpoint
CREATE TABLE `agent_settlement_lines` (
	`line_id` text PRIMARY KEY NOT NULL,
	`settlement_id` text NOT NULL,
	`kind` text NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`account` text NOT NULL,
	`amount` integer NOT NULL,
	`detail` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`requested_at` integer NOT NULL,
	`retry_at` integer NOT NULL,
	`paid_at` integer,
	`transaction_id` text,
	`error` text,
	FOREIGN KEY (`settlement_id`) REFERENCES `agent_settlements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agent_settlement_lines_settlement` ON `agent_settlement_lines` (`settlement_id`);--> statement-breakpoint
CREATE INDEX `agent_settlement_lines_owner` ON `agent_settlement_lines` (`owner_kind`,`owner_id`,`settlement_id`);--> statement-breakpoint
CREATE INDEX `agent_settlement_lines_due` ON `agent_settlement_lines` (`status`,`retry_at`);--> statement-breakpoint
CREATE TABLE `agent_settlements` (
	`id` text PRIMARY KEY NOT NULL,
	`program` text NOT NULL,
	`period` text NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	`status` text NOT NULL,
	`line_count` integer NOT NULL,
	`total` integer NOT NULL,
	`paid_total` integer DEFAULT 0 NOT NULL,
	`detail` text NOT NULL,
	`created_at` integer NOT NULL,
	`settled_at` integer
);
--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`level` integer NOT NULL,
	`path` text NOT NULL,
	`login_name` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_version` integer DEFAULT 1 NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`code` text NOT NULL,
	`rolling_rates` text NOT NULL,
	`losing_rate` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_login_name_unique` ON `agents` (`login_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_code_unique` ON `agents` (`code`);--> statement-breakpoint
CREATE INDEX `agents_parent` ON `agents` (`parent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `agents_path` ON `agents` (`path`);