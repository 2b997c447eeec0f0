/** Builds the Remix console when its build is missing or older than its sources; false if the build failed. */
export function ensureBuild(): boolean
