ALTER TABLE `promotion_redemptions` ADD `refusal_code` text;--> statement-breakpoint
ALTER TABLE `promotion_redemptions` ADD `refusal_message` text;