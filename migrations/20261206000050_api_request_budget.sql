-- A request budget for the API: each holder (a personal access token, or a
-- program's sign-in: its session family) may make so many requests a
-- minute (`API_REQUESTS_PER_MINUTE`); past it the API answers 429 with
-- `Retry-After`. Counted here rather than in each instance's memory so the
-- budget holds when instances run side by side. The count is written and
-- committed before the request's own transaction begins (in the same
-- message), so a request that fails or is refused is counted too.
SET LOCAL ROLE bookwork_owner;

CREATE TABLE public.api_request_counts (
    holder       uuid NOT NULL,
    -- The minute the count is for (fixed windows: at most twice the
    -- budget across one window's end, and nothing to keep per request).
    window_start timestamptz NOT NULL,
    requests     integer NOT NULL CONSTRAINT api_request_counts_positive CHECK (requests > 0),
    PRIMARY KEY (holder, window_start)
);
CREATE INDEX api_request_counts_window ON public.api_request_counts (window_start);
-- Only the functions below touch it: the server's login counts through
-- them, reports have no use for it.
REVOKE ALL ON public.api_request_counts FROM bookwork_app, bookwork_readonly;

-- Counts one request by the token with this hash (a live one: an unknown
-- or revoked token is counted nowhere, so guesses leave no rows), or by
-- this sign-in; answers the requests so far this minute and the seconds
-- until the next minute begins.
CREATE FUNCTION bookwork_private.count_api_request(token_hash text, session uuid)
RETURNS TABLE (used integer, retry_after integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    who uuid := session;
    this_minute timestamptz := pg_catalog.date_trunc('minute', pg_catalog.now());
BEGIN
    IF count_api_request.token_hash IS NOT NULL THEN
        SELECT t.id INTO who FROM public.api_tokens t
         WHERE t.token_hash = count_api_request.token_hash AND t.revoked_at IS NULL;
    END IF;
    IF who IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        INSERT INTO public.api_request_counts AS c (holder, window_start, requests)
        VALUES (who, this_minute, 1)
        ON CONFLICT ON CONSTRAINT api_request_counts_pkey DO UPDATE SET requests = c.requests + 1
        RETURNING c.requests,
                  GREATEST(1, pg_catalog.ceil(EXTRACT(epoch FROM
                      c.window_start + interval '1 minute' - pg_catalog.clock_timestamp())))::integer;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.count_api_request(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.count_api_request(text, uuid) TO bookwork_app;

-- The clean-up's way to forget the minutes gone by.
CREATE FUNCTION bookwork_private.forget_api_request_counts()
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    WITH gone AS (
        DELETE FROM public.api_request_counts
         WHERE window_start < pg_catalog.now() - interval '5 minutes'
        RETURNING 1)
    SELECT pg_catalog.count(*)::integer FROM gone
$$;
REVOKE ALL ON FUNCTION bookwork_private.forget_api_request_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.forget_api_request_counts() TO bookwork_app;
