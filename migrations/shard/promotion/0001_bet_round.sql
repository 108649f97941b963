ALTER TABLE `promotion_bets` ADD `round` text;--> statement-breakpoint
CREATE INDEX `promotion_bets_round` ON `promotion_bets` (`player_id`,`round`);