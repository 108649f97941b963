CREATE TABLE "admin_outcomes" (
	"address" text NOT NULL,
	"message_id" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_outcomes_address_message_id_pk" PRIMARY KEY("address","message_id")
);
--> statement-breakpoint
CREATE TABLE "top_info_items" (
	"brand_id" text NOT NULL,
	"kind" text NOT NULL,
	"item_id" text NOT NULL,
	"player_id" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "top_info_items_brand_id_kind_item_id_pk" PRIMARY KEY("brand_id","kind","item_id")
);
--> statement-breakpoint
CREATE INDEX "admin_outcomes_at_idx" ON "admin_outcomes" USING btree ("at");