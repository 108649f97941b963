DROP INDEX "wallet_requests_player_idx";--> statement-breakpoint
CREATE INDEX "wallet_requests_by_player_idx" ON "wallet_requests" USING btree ("player_id","brand_id","kind","seq");