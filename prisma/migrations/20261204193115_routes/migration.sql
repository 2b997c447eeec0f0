-- CreateTable
CREATE TABLE "routes" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "plan" JSONB NOT NULL,
    "description" TEXT,
    "cache" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route_versions" (
    "id" TEXT NOT NULL,
    "route_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "plan" JSONB NOT NULL,
    "description" TEXT,
    "cache" JSONB,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "route_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "routes_team_id_created_at_idx" ON "routes"("team_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "routes_team_id_alias_key" ON "routes"("team_id", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "route_versions_route_id_version_key" ON "route_versions"("route_id", "version");

-- AddForeignKey
ALTER TABLE "routes" ADD CONSTRAINT "routes_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_versions" ADD CONSTRAINT "route_versions_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
