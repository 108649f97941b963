CREATE TABLE `game_blocked_players` (
	`player_id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `game_round_entries` (
	`event_id` text PRIMARY KEY NOT NULL,
	`provider_code` text NOT NULL,
	`round_id` text NOT NULL,
	`kind` text NOT NULL,
	`transaction_uuid` text NOT NULL,
	`transaction_id` text NOT NULL,
	`amount` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `game_round_entries_round` ON `game_round_entries` (`provider_code`,`round_id`,`at`);--> statement-breakpoint
CREATE TABLE `game_rounds` (
	`provider_code` text NOT NULL,
	`round_id` text NOT NULL,
	`player_id` text NOT NULL,
	`game_code` text NOT NULL,
	`status` text NOT NULL,
	`bet_total` integer DEFAULT 0 NOT NULL,
	`win_total` integer DEFAULT 0 NOT NULL,
	`refund_total` integer DEFAULT 0 NOT NULL,
	`opened_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	PRIMARY KEY(`provider_code`, `round_id`)
);
--> statement-breakpoint
CREATE INDEX `game_rounds_player` ON `game_rounds` (`player_id`,`opened_at`);--> statement-breakpoint
CREATE TABLE `game_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`player_id` text NOT NULL,
	`provider_code` text NOT NULL,
	`game_code` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_reason` text
);
--> statement-breakpoint
CREATE INDEX `game_sessions_player` ON `game_sessions` (`player_id`,`issued_at`);