-- The what-if in Spark SQL. TRANSFORM pipes each row through ratecard
-- pipe, tab-separated with \N for NULL (Hive's default format), and reads
-- back one row per row: the id (carried through with -pass, to join on)
-- and the credits. The binary and both rule directories must be on every
-- executor (spark.files, or a container image).
WITH old AS (
  SELECT TRANSFORM (id, action, media, duration, actor, images, clips, ts)
    USING 'ratecard pipe -columns id,action,media,duration,actor,images,clips,ts -at-column ts -pass id'
    AS (id STRING, credits DECIMAL(18, 2))
  FROM usage
),
new AS (
  SELECT TRANSFORM (id, action, media, duration, actor, images, clips, ts)
    USING 'ratecard pipe -rules draft -columns id,action,media,duration,actor,images,clips,ts -at-column ts -pass id'
    AS (id STRING, credits DECIMAL(18, 2))
  FROM usage
)
SELECT u.plan,
       sum(old.credits) AS old_credits,
       sum(new.credits) AS new_credits,
       sum(new.credits) - sum(old.credits) AS change,
       percentile_approx(new.credits - old.credits, array(0.5, 0.9, 0.99)) AS p50_p90_p99
FROM usage u
JOIN old ON old.id = u.id
JOIN new ON new.id = u.id
GROUP BY u.plan
ORDER BY u.plan;
-- usage.clips holds the clips' seconds comma-separated ("5,5"), as the
-- sample file does; ratecard reads a list input that way.
