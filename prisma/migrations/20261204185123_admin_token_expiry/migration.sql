-- AlterTable
ALTER TABLE "admin_tokens" ADD COLUMN     "expires_at" TIMESTAMP(3);
