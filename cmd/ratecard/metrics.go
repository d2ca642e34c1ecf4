package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"ratecard/engine"
)

// metrics are the Prometheus metrics of `ratecard serve`, on a registry of
// their own (not the global one), so that tests can start servers freely.
type metrics struct {
	registry      *prometheus.Registry
	quotes        *prometheus.CounterVec
	quoteSeconds  prometheus.Histogram
	reloads       *prometheus.CounterVec
	reloadOK      prometheus.Gauge
	lastGoodTime  prometheus.Gauge
	rulesInfo     *prometheus.GaugeVec
	reloadSeconds prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		quotes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ratecard_quotes_total", Help: "Quote and explain requests, by price list and result (ok, bad_request, unknown_list, eval_error, error).",
		}, []string{"list", "result"}),
		quoteSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ratecard_quote_duration_seconds", Help: "Time to decode, price and answer a quote request.",
			Buckets: prometheus.ExponentialBuckets(10e-6, 2.5, 10), // 10us to about 38ms
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ratecard_reloads_total", Help: "Reload attempts of changed rule files, by result (success, failure).",
		}, []string{"result"}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ratecard_last_reload_successful", Help: "1 when the last reload attempt succeeded, 0 when the last good rules are serving after a failure.",
		}),
		lastGoodTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ratecard_last_reload_success_timestamp_seconds", Help: "When the rules now live were loaded (Unix time).",
		}),
		rulesInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ratecard_rules_info", Help: "The live rule set's digest, as a label; the value is always 1.",
		}, []string{"digest"}),
		reloadSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ratecard_reload_duration_seconds", Help: "Time to read, compile and check rule files on a reload.",
			Buckets: prometheus.ExponentialBuckets(100e-6, 3, 8),
		}),
	}
	m.registry.MustRegister(m.quotes, m.quoteSeconds, m.reloads, m.reloadOK, m.lastGoodTime, m.rulesInfo, m.reloadSeconds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) quoted(list, result string, d time.Duration) {
	m.quotes.WithLabelValues(list, result).Inc()
	m.quoteSeconds.Observe(d.Seconds())
}

// reloaded records a reload attempt (engine.LiveOptions.OnReload).
func (m *metrics) reloaded(r engine.ReloadResult) {
	m.reloadSeconds.Observe(r.Duration.Seconds())
	if r.Err != nil {
		m.reloads.WithLabelValues("failure").Inc()
		m.reloadOK.Set(0)
		return
	}
	m.reloads.WithLabelValues("success").Inc()
	m.reloadOK.Set(1)
	m.lastGoodTime.SetToCurrentTime()
	m.rulesInfo.Reset()
	m.rulesInfo.WithLabelValues(r.Digest).Set(1)
}
