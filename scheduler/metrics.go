package scheduler

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/followuphq/followup"
)

// metrics are the scheduler's Prometheus series, registered on the registry main passes.
type metrics struct {
	outcomes *prometheus.CounterVec   // reminders by outcome: sent, deferred, retried, failed, cancelled
	jobs     *prometheus.HistogramVec // job run time by job
}

func newMetrics() *metrics {
	return &metrics{
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followup_reminders_total", Help: "Reminders handled by this replica, by outcome.",
		}, []string{"outcome"}),
		jobs: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "followup_job_seconds", Help: "Run time of the scheduler's jobs.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"job"}),
	}
}

// WithMetrics registers the scheduler's series on reg, with a gauge of the reminders
// pending in the outbox read at scrape time (the partial index makes that cheap).
func WithMetrics(reg prometheus.Registerer, pending func(ctx context.Context) (int, error)) Option {
	return func(s *Scheduler) {
		reg.MustRegister(s.metrics.outcomes, s.metrics.jobs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "followup_reminders_pending", Help: "Reminders waiting in the outbox, all replicas together.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := pending(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
}

func (s *Scheduler) count(outcome string, rs []followup.Reminder) {
	s.metrics.outcomes.WithLabelValues(outcome).Add(float64(len(rs)))
}
