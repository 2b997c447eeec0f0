/** Shown under every new-password field (the rules live in services/auth-password.server.ts). */
export const NEW_PASSWORD_HINT = 'At least 8 characters. A long passphrase is easiest to remember and hardest to guess.'
