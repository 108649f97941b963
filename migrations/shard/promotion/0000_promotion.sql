CREATE TABLE `promotion_activity` (
	`player_id` text NOT NULL,
	`day` text NOT NULL,
	`category` text NOT NULL,
	`bets` integer DEFAULT 0 NOT NULL,
	`wins` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`player_id`, `day`, `category`)
);
--> statement-breakpoint
CREATE INDEX `promotion_activity_day` ON `promotion_activity` (`day`);--> statement-breakpoint
CREATE TABLE `promotion_bets` (
	`bet_key` text PRIMARY KEY NOT NULL,
	`player_id` text NOT NULL,
	`day` text NOT NULL,
	`category` text NOT NULL,
	`amount` integer NOT NULL,
	`rolled_back` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `promotion_bets_day` ON `promotion_bets` (`day`);--> statement-breakpoint
CREATE TABLE `promotion_bonus_rollings` (
	`source_transaction_id` text PRIMARY KEY NOT NULL,
	`rolling_id` text NOT NULL,
	`player_id` text NOT NULL,
	`status` text NOT NULL,
	`target` text NOT NULL,
	`progress` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `promotion_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`coupon_id` text NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`coupon_id`) REFERENCES `promotion_coupons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `promotion_codes_coupon` ON `promotion_codes` (`coupon_id`);--> statement-breakpoint
CREATE TABLE `promotion_coupons` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`percent_bp` integer DEFAULT 0 NOT NULL,
	`cap` integer,
	`min_deposit` integer DEFAULT 0 NOT NULL,
	`max_uses` integer NOT NULL,
	`rolling_multiple` text,
	`valid_from` integer NOT NULL,
	`valid_to` integer NOT NULL,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `promotion_late_rollbacks` (
	`bet_key` text PRIMARY KEY NOT NULL,
	`player_id` text NOT NULL,
	`day` text NOT NULL,
	`category` text NOT NULL,
	`amount` integer NOT NULL,
	`overpaid` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `promotion_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`coupon_id` text NOT NULL,
	`code` text NOT NULL,
	`player_id` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`deposit_transaction_id` text,
	`transaction_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `promotion_redemptions_transaction_id_unique` ON `promotion_redemptions` (`transaction_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `promotion_redemptions_once` ON `promotion_redemptions` (`coupon_id`,`player_id`);--> statement-breakpoint
CREATE INDEX `promotion_redemptions_player` ON `promotion_redemptions` (`player_id`,`status`);--> statement-breakpoint
CREATE TABLE `promotion_settlement_lines` (
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
	FOREIGN KEY (`settlement_id`) REFERENCES `promotion_settlements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `promotion_settlement_lines_settlement` ON `promotion_settlement_lines` (`settlement_id`);--> statement-breakpoint
CREATE INDEX `promotion_settlement_lines_owner` ON `promotion_settlement_lines` (`owner_kind`,`owner_id`,`settlement_id`);--> statement-breakpoint
CREATE INDEX `promotion_settlement_lines_due` ON `promotion_settlement_lines` (`status`,`retry_at`);--> statement-breakpoint
CREATE TABLE `promotion_settlements` (
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
