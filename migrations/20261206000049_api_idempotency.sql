-- Idempotent creation over the API: a POST with an `Idempotency-Key` header
-- records its answer under (holder, key) in the same transaction as what it
-- made, so a retry of the same request gets the first answer back instead
-- of a second club or meeting. The holder is what authenticated the
-- request: a personal access token, or a program's sign-in (its session
-- family). Keys are kept 24 hours; the clean-up forgets older ones. A key
-- reused for a different request is refused (`request_hash` is the
-- method, path and body's SHA-256).
SET LOCAL ROLE bookwork_owner;

CREATE TABLE public.api_idempotency_keys (
    holder       uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    key          text NOT NULL
                 CONSTRAINT api_idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash text NOT NULL,
    -- Empty while the first request with the key is still at work (its
    -- transaction holds the row, so nobody else sees it empty).
    status       smallint CONSTRAINT api_idempotency_keys_status CHECK (status BETWEEN 200 AND 599),
    location     text,
    body         jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (holder, key)
);
CREATE INDEX api_idempotency_keys_created ON public.api_idempotency_keys (created_at);
CREATE INDEX api_idempotency_keys_user ON public.api_idempotency_keys (user_id);

-- A person's keys are their own.
ALTER TABLE public.api_idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.api_idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_idempotency_keys_own ON public.api_idempotency_keys FOR ALL
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY owner_api_idempotency_keys ON public.api_idempotency_keys TO bookwork_owner
    USING (true) WITH CHECK (true);

-- The clean-up's way to forget keys older than a day: nobody is the viewer
-- when it runs, so it cannot see them through the policy above.
CREATE FUNCTION bookwork_private.forget_idempotency_keys()
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    WITH gone AS (
        DELETE FROM public.api_idempotency_keys
         WHERE created_at < pg_catalog.now() - interval '24 hours'
        RETURNING 1)
    SELECT pg_catalog.count(*)::integer FROM gone
$$;
REVOKE ALL ON FUNCTION bookwork_private.forget_idempotency_keys() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.forget_idempotency_keys() TO bookwork_app;

-- The token check also answers which token it was (for the keys above).
DROP FUNCTION bookwork_private.check_api_token(text);
CREATE FUNCTION bookwork_private.check_api_token(token_hash text)
RETURNS TABLE (token_id uuid, user_id uuid, user_name text, user_email text, site_role text, scopes text[])
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
    RETURN QUERY SELECT found_token.id, found_token.person, found_token.person_name, found_token.person_email,
                        found_token.person_role, found_token.token_scopes;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.check_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.check_api_token(text) TO bookwork_app;
