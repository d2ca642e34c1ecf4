-- A what-if over a usage table, inside ClickHouse: the live rules
-- (ratecard_credits) against a draft (ratecard_credits_draft), each row
-- priced by ratecard as of its own timestamp. ClickHouse brings the rows,
-- the parallelism, the grouping and the sums; ratecard brings the prices.

-- The usage, from the sample file (testdata/usage/video-credits-periods.csv).
CREATE TABLE usage ENGINE = MergeTree ORDER BY (customer, ts) AS
SELECT
    id,
    parseDateTimeBestEffort(ts) AS ts,
    customer,
    plan,
    action,
    nullIf(media, '') AS media,
    toDecimal64OrNull(duration, 3) AS duration,
    nullIf(actor, '') AS actor,
    toUInt32OrNull(images) AS images,
    arrayMap(x -> toDecimal64(x, 3), arrayFilter(x -> x != '', splitByChar(',', clips))) AS clips
FROM file('video-credits-periods.csv', CSVWithNames,
          'id String, ts String, customer String, plan String, action String, media String, duration String, actor String, images String, clips String');

-- Totals per plan, old and new.
SELECT
    plan,
    sum(old) AS old_credits,
    sum(new) AS new_credits,
    new_credits - old_credits AS change
FROM
(
    SELECT
        plan,
        ratecard_credits(action, media, duration, actor, images, clips, ts) AS old,
        ratecard_credits_draft(action, media, duration, actor, images, clips, ts) AS new
    FROM usage
)
GROUP BY plan
ORDER BY plan;

-- The distribution of the per-record change.
SELECT quantilesExact(0.5, 0.9, 0.99)(new - old) AS p50_p90_p99, max(new - old) AS largest
FROM
(
    SELECT
        ratecard_credits(action, media, duration, actor, images, clips, ts) AS old,
        ratecard_credits_draft(action, media, duration, actor, images, clips, ts) AS new
    FROM usage
);
