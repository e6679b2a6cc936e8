package bot

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the bot's Prometheus series. They are created per Bot and registered on the
// registry main passes in, so tests and replicas never share global state.
type metrics struct {
	requests     *prometheus.CounterVec   // by endpoint and HTTP status
	ack          *prometheus.HistogramVec // time to answer Slack, by endpoint
	limitedTotal *prometheus.CounterVec   // refused by the per-person rate limit, by kind
}

// limited counts a command or message the rate limit refused.
func (m *metrics) limited(kind string) { m.limitedTotal.WithLabelValues(kind).Inc() }

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followup_slack_requests_total", Help: "Requests from Slack, by endpoint and HTTP status.",
		}, []string{"endpoint", "status"}),
		ack: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "followup_slack_ack_seconds", Help: "Time to answer a request from Slack (Slack allows 3 s).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"endpoint"}),
		limitedTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followup_rate_limited_total", Help: "Slash commands and direct messages refused by the per-person rate limit, by kind.",
		}, []string{"kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.ack, m.limitedTotal)
	}
	return m
}

// WithMetrics registers the bot's request and ack-latency series on reg.
func WithMetrics(reg prometheus.Registerer) Option {
	return func(b *Bot) { b.metrics = newMetrics(reg) }
}

// measured records each request's status and ack latency under its endpoint's name.
func (b *Bot) measured(endpoint string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		b.metrics.requests.WithLabelValues(endpoint, strconv.Itoa(sw.status)).Inc()
		b.metrics.ack.WithLabelValues(endpoint).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// SlackTransport counts the bot's Slack Web API calls by method and outcome (ok, or the
// HTTP status of a failure: 429s and 5xx show up here).
func SlackTransport(reg prometheus.Registerer, next http.RoundTripper) http.RoundTripper {
	calls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "followup_slack_api_calls_total", Help: "Slack Web API calls, by method and outcome.",
	}, []string{"method", "outcome"})
	reg.MustRegister(calls)
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		method := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
		if !strings.Contains(method, ".") {
			method = "other" // response_url and upload URLs: unbounded paths, one label
		}
		resp, err := next.RoundTrip(req)
		outcome := "error"
		if err == nil {
			outcome = strconv.Itoa(resp.StatusCode)
		}
		calls.WithLabelValues(method, outcome).Inc()
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
