ALTER TABLE "wallet_accounts" DROP CONSTRAINT "wallet_accounts_type_fits_owner";--> statement-breakpoint
ALTER TABLE "wallet_accounts" ADD CONSTRAINT "wallet_accounts_type_fits_owner" CHECK (("wallet_accounts"."owner_kind" = 'player' AND "wallet_accounts"."type" IN ('cash', 'bonus', 'locked'))
        OR ("wallet_accounts"."owner_kind" = 'agent' AND "wallet_accounts"."type" IN ('cash', 'locked'))
        OR ("wallet_accounts"."owner_kind" = 'brand' AND "wallet_accounts"."type" IN ('house', 'provider', 'clearing')));