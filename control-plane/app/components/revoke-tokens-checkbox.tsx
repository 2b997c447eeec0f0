// "Also revoke my API tokens" on the reset- and change-password forms. Checked by default;
// the hidden `off` comes first so an unticked box still says so (the last value wins), and a
// client that sends neither gets the safe default: tokens revoked (auth-recovery.server.ts).
export function RevokeTokensCheckbox() {
  return (
    <label className="flex items-start gap-2 text-sm text-slate-700">
      <input type="hidden" name="revokeApiTokens" value="off" />
      <input type="checkbox" name="revokeApiTokens" value="on" defaultChecked className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600" />
      <span>Also revoke my API tokens (in every team): scripts using them stop working.</span>
    </label>
  )
}
