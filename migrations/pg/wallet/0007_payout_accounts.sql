CREATE TABLE "wallet_payout_accounts" (
	"brand_id" text NOT NULL,
	"player_id" text NOT NULL,
	"bank_name" text NOT NULL,
	"account_number" text NOT NULL,
	"holder" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_payout_accounts_brand_id_player_id_pk" PRIMARY KEY("brand_id","player_id")
);
--> statement-breakpoint
ALTER TABLE "wallet_messages" ADD COLUMN "event" boolean DEFAULT false NOT NULL;