package server

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"ratecard/engine"
)

// metrics are what the server counts itself: quotes and reload times. The
// state of the live rules (reload counts, success, digest, lists, watch
// errors) is read from engine.Live's status at each scrape by
// statusCollector, so the API and the metrics cannot disagree.
type metrics struct {
	quotes        *prometheus.CounterVec
	quoteSeconds  prometheus.Histogram
	batchSeconds  prometheus.Histogram
	reloadSeconds prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer, live *engine.Live) (*metrics, error) {
	m := &metrics{
		quotes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ratecard_quotes_total", Help: "Quote and explain requests, by price list and result (ok, bad_request, unknown_list, eval_error, error).",
		}, []string{"list", "result"}),
		quoteSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ratecard_quote_duration_seconds", Help: "Time to decode, price and answer a quote request.",
			Buckets: prometheus.ExponentialBuckets(10e-6, 2.5, 10), // 10us to about 38ms
		}),
		batchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ratecard_batch_duration_seconds", Help: "Time to decode, price and answer a batch of quotes (POST /v1/quotes); each of its quotes counts in ratecard_quotes_total.",
			Buckets: prometheus.ExponentialBuckets(100e-6, 3, 9), // 100us to about 0.7s
		}),
		reloadSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ratecard_reload_duration_seconds", Help: "Time to read, compile and check rule files on a reload that found new content.",
			Buckets: prometheus.ExponentialBuckets(100e-6, 3, 8),
		}),
	}
	for _, c := range []prometheus.Collector{m.quotes, m.quoteSeconds, m.batchSeconds, m.reloadSeconds, &statusCollector{live: live}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	live.Subscribe(func(r engine.ReloadResult) { m.reloadSeconds.Observe(r.Duration.Seconds()) })
	return m, nil
}

func (m *metrics) quoted(list, result string, d time.Duration) {
	m.quotes.WithLabelValues(list, result).Inc()
	m.quoteSeconds.Observe(d.Seconds())
}

// batchQuoted counts one quote of a batch (the batch's time is observed
// once, by batch).
func (m *metrics) batchQuoted(list, result string) { m.quotes.WithLabelValues(list, result).Inc() }

func (m *metrics) batch(d time.Duration) { m.batchSeconds.Observe(d.Seconds()) }

var (
	reloadsDesc = prometheus.NewDesc("ratecard_reloads_total",
		"Reloads since start that found new content, by result: success (swapped in) or failure (the last good rules keep serving).", []string{"result"}, nil)
	reloadOKDesc = prometheus.NewDesc("ratecard_last_reload_successful",
		"1 when the rule files on disk are the live rules, 0 while the last good rules serve after a failed reload.", nil, nil)
	loadedAtDesc = prometheus.NewDesc("ratecard_last_reload_success_timestamp_seconds",
		"When the rules now live were loaded (Unix time).", nil, nil)
	rulesInfoDesc = prometheus.NewDesc("ratecard_rules_info",
		"The live rule set's digest, as a label; the value is always 1.", []string{"digest"}, nil)
	listsDesc = prometheus.NewDesc("ratecard_price_lists",
		"The live price lists and their versions, as labels; the value is always 1. A list that disappears (its file deleted) is gone from here.", []string{"list", "version"}, nil)
	watchErrorsDesc = prometheus.NewDesc("ratecard_watch_errors_total",
		"Errors of the rule directory's watcher (such as a kernel event queue overflow), each followed by a reload.", nil, nil)
)

// statusCollector reports the live status as metrics at each scrape.
type statusCollector struct{ live *engine.Live }

func (c *statusCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{reloadsDesc, reloadOKDesc, loadedAtDesc, rulesInfoDesc, listsDesc, watchErrorsDesc} {
		ch <- d
	}
}

func (c *statusCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.live.Status()
	ok := 1.0
	if st.LastError != "" {
		ok = 0
	}
	ch <- prometheus.MustNewConstMetric(reloadsDesc, prometheus.CounterValue, float64(st.Reloads), "success")
	ch <- prometheus.MustNewConstMetric(reloadsDesc, prometheus.CounterValue, float64(st.Failures), "failure")
	ch <- prometheus.MustNewConstMetric(reloadOKDesc, prometheus.GaugeValue, ok)
	ch <- prometheus.MustNewConstMetric(loadedAtDesc, prometheus.GaugeValue, float64(st.LoadedAt.UnixNano())/1e9)
	ch <- prometheus.MustNewConstMetric(rulesInfoDesc, prometheus.GaugeValue, 1, st.Digest)
	for list, version := range st.Versions {
		ch <- prometheus.MustNewConstMetric(listsDesc, prometheus.GaugeValue, 1, list, version)
	}
	ch <- prometheus.MustNewConstMetric(watchErrorsDesc, prometheus.CounterValue, float64(st.WatchErrors))
}
