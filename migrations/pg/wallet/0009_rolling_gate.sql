CREATE TABLE "wallet_rollings" (
	"brand_id" text NOT NULL,
	"source_transaction_id" uuid NOT NULL,
	"player_id" text NOT NULL,
	"state" text NOT NULL,
	"rolling_id" text,
	"remaining" bigint DEFAULT 0 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_rollings_brand_id_source_transaction_id_pk" PRIMARY KEY("brand_id","source_transaction_id")
);
--> statement-breakpoint
CREATE INDEX "wallet_rollings_by_player_idx" ON "wallet_rollings" USING btree ("player_id","brand_id");--> statement-breakpoint
CREATE INDEX "wallet_rollings_awaited_idx" ON "wallet_rollings" USING btree ("brand_id","created_at") WHERE "wallet_rollings"."state" = 'awaited';