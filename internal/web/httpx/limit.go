package httpx

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// ErrTooMany is the code of a request refused by a rate limit (429).
const ErrTooMany = "too_many_requests"

// Limiter is a token bucket per key (an address, an email): burst requests
// at once, then one every interval. Buckets idle for long are forgotten.
type Limiter struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	buckets  map[string]*bucket
	now      func() time.Time
	swept    time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func NewLimiter(burst int, interval time.Duration) *Limiter {
	return &Limiter{burst: float64(burst), interval: interval, buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token for key, or says how long to wait for the next one.
func (l *Limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.at) > time.Duration(l.burst)*l.interval {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.interval))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.interval))
}

// throttle refuses the request with 429 and Retry-After when any key is
// over its limit.
func (s *Core) Throttle(c *gin.Context, l *Limiter, keys ...string) error {
	for _, k := range keys {
		if ok, wait := l.allow(k); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			c.Header("Retry-After", strconv.Itoa(secs))
			return &fabrique.Error{Code: ErrTooMany, Message: "Trop de tentatives : réessayez dans " + fabrique.Count(secs, "seconde", "secondes") + "."}
		}
	}
	return nil
}
