package httpx

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// The metrics in the Prometheus text format (version 0.0.4), written by
// hand: requests by route pattern, method and status; their latencies as
// a histogram by route pattern; registrations and the outbox's messages
// by state, counted in the database at each scrape. No path, query or
// personal data: routes are patterns (/api/v1/events/:id).

// latencyBuckets are the upper bounds, in seconds, of the histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type requestKey struct {
	method, route string
	status        int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	count  uint64
}

// metrics holds the counters of the requests since the start.
type metrics struct {
	mu        sync.Mutex
	requests  map[requestKey]uint64
	latencies map[string]*histogram // by route pattern
}

func newMetrics() *metrics {
	return &metrics{requests: map[requestKey]uint64{}, latencies: map[string]*histogram{}}
}

// observe counts one answered request.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	secs := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{method, route, status}]++
	h := m.latencies[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latencies[route] = h
	}
	i := sort.SearchFloat64s(latencyBuckets, secs) // first bound >= secs
	h.counts[i]++
	h.sum += secs
	h.count++
}

// write writes the request metrics in the text format.
func (m *metrics) write(b *bytes.Buffer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.WriteString("# HELP fabrique_http_requests_total HTTP requests answered, by route pattern, method and status.\n")
	b.WriteString("# TYPE fabrique_http_requests_total counter\n")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.status < c.status
	})
	for _, k := range keys {
		fmt.Fprintf(b, "fabrique_http_requests_total{route=%s,method=%s,status=\"%d\"} %d\n", promLabel(k.route), promLabel(k.method), k.status, m.requests[k])
	}
	b.WriteString("# HELP fabrique_http_request_duration_seconds Time to answer a request, by route pattern.\n")
	b.WriteString("# TYPE fabrique_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.latencies))
	for r := range m.latencies {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.latencies[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(b, "fabrique_http_request_duration_seconds_bucket{route=%s,le=\"%g\"} %d\n", promLabel(r), le, cum)
		}
		fmt.Fprintf(b, "fabrique_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", promLabel(r), h.count)
		fmt.Fprintf(b, "fabrique_http_request_duration_seconds_sum{route=%s} %g\n", promLabel(r), h.sum)
		fmt.Fprintf(b, "fabrique_http_request_duration_seconds_count{route=%s} %d\n", promLabel(r), h.count)
	}
}

// label quotes a label value as the text format wants.
func promLabel(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

// writeVitals writes the figures counted in the database.
func writeVitals(b *bytes.Buffer, v *fabrique.Vitals, now time.Time) {
	b.WriteString("# HELP fabrique_registrations Registrations, by status.\n# TYPE fabrique_registrations gauge\n")
	for _, st := range fabrique.RegistrationStatuses {
		fmt.Fprintf(b, "fabrique_registrations{status=%s} %d\n", promLabel(string(st)), v.Registrations[st])
	}
	b.WriteString("# HELP fabrique_outbox_messages Messages of the outbox, by state.\n# TYPE fabrique_outbox_messages gauge\n")
	for _, st := range fabrique.OutboxStates {
		fmt.Fprintf(b, "fabrique_outbox_messages{state=%s} %d\n", promLabel(string(st)), v.Outbox[st])
	}
	b.WriteString("# HELP fabrique_outbox_due_messages Pending messages whose time to be sent has come.\n# TYPE fabrique_outbox_due_messages gauge\n")
	fmt.Fprintf(b, "fabrique_outbox_due_messages %d\n", v.Due)
	age := 0.0
	if !v.OldestDue.IsZero() {
		age = now.Sub(v.OldestDue).Seconds()
	}
	b.WriteString("# HELP fabrique_outbox_oldest_due_seconds Age of the oldest message due (0: none).\n# TYPE fabrique_outbox_oldest_due_seconds gauge\n")
	fmt.Fprintf(b, "fabrique_outbox_oldest_due_seconds %g\n", age)
}

// metricsText renders every metric.
func (s *Core) metricsText(ctx context.Context) ([]byte, error) {
	var b bytes.Buffer
	s.metrics.write(&b)
	if vr, ok := s.Store.(fabrique.VitalsReader); ok {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		now := time.Now()
		v, err := vr.Vitals(ctx, now)
		if err != nil {
			return nil, err
		}
		writeVitals(&b, v, now)
	}
	return b.Bytes(), nil
}

const metricsType = "text/plain; version=0.0.4; charset=utf-8"

// AdminMetrics answers GET /metrics on the main address: administrators only.
func (s *Core) AdminMetrics(c *gin.Context) error {
	u := fabrique.UserFrom(c.Request.Context())
	if u == nil {
		return &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Les métriques sont réservées aux administrateurs : authentifiez-vous (Authorization: Bearer <jeton>), ou lisez-les sur l'adresse --metrics-addr."}
	}
	if err := fabrique.AuthorizeService(u, fabrique.ActRead); err != nil {
		return err
	}
	b, err := s.metricsText(c.Request.Context())
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, metricsType, b)
	return nil
}

// MetricsHandler serves GET /metrics to anyone: for a listen address of
// its own (--metrics-addr), reachable by the supervisor only.
func (s *Core) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.Error(w, "Seule l'adresse /metrics est servie ici.", http.StatusNotFound)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "Méthode non permise : GET /metrics.", http.StatusMethodNotAllowed)
			return
		}
		b, err := s.metricsText(r.Context())
		if err != nil {
			s.Log.Error("metrics: database unavailable", "error", err.Error())
			http.Error(w, "La base de données ne répond pas.", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", metricsType)
		w.Write(b)
	})
}
