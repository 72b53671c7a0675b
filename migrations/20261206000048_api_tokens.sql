-- Personal access tokens for the API (/api/v1): a person makes one on /me,
-- names it, gives it scopes (read; write) and maybe an expiry, sees it once,
-- and may revoke it. Only the token's SHA-256 is kept, as for refresh
-- tokens. A token works only while its person's account is active.
SET LOCAL ROLE bookwork_owner;

CREATE TABLE public.api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    name         text NOT NULL
                 CONSTRAINT api_tokens_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    token_hash   text NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
    scopes       text[] NOT NULL
                 CONSTRAINT api_tokens_scopes CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['read', 'write']),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_expiry_after_creation CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_tokens_user ON public.api_tokens (user_id, created_at);

-- A person sees, makes and revokes their own tokens; nobody else's.
ALTER TABLE public.api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_own ON public.api_tokens FOR ALL
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY owner_api_tokens ON public.api_tokens TO bookwork_owner USING (true) WITH CHECK (true);

-- The API's check of a bearer token, like check_sign_in for a browser's
-- sign-in: the live token with this hash, of an active account, makes its
-- person the viewer for the transaction (cleared again when there is
-- none) and answers who they are and what the token may do. The last use
-- is written at most once a minute, so a busy script does not write a row
-- per request. SECURITY DEFINER: nobody is the viewer yet when it looks the
-- token up, and it is asked about the hash alone.
CREATE FUNCTION bookwork_private.check_api_token(token_hash text)
RETURNS TABLE (user_id uuid, user_name text, user_email text, site_role text, scopes text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    found_token record;
BEGIN
    SELECT t.id, t.last_used_at, u.id AS person, u.name::text AS person_name, u.email::text AS person_email,
           u.role::text AS person_role, t.scopes AS token_scopes
      INTO found_token
      FROM public.api_tokens t JOIN public.users u ON u.id = t.user_id
     WHERE t.token_hash = check_api_token.token_hash AND t.revoked_at IS NULL
       AND (t.expires_at IS NULL OR t.expires_at > pg_catalog.now()) AND u.is_active;
    IF NOT FOUND THEN
        PERFORM pg_catalog.set_config('app.user_id', '', true);
        RETURN;
    END IF;
    IF found_token.last_used_at IS NULL OR found_token.last_used_at < pg_catalog.now() - interval '1 minute' THEN
        UPDATE public.api_tokens SET last_used_at = pg_catalog.now() WHERE id = found_token.id;
    END IF;
    PERFORM pg_catalog.set_config('app.user_id', found_token.person::text, true);
    RETURN QUERY SELECT found_token.person, found_token.person_name, found_token.person_email,
                        found_token.person_role, found_token.token_scopes;
END
$$;

REVOKE ALL ON FUNCTION bookwork_private.check_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.check_api_token(text) TO bookwork_app;
