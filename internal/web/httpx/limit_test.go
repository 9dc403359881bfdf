package httpx

import (
	"testing"
	"time"
)

func TestLimiterLetsABurstThenOneEveryInterval(t *testing.T) {
	now := time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)
	l := NewLimiter(3, 10*time.Second)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if ok, _ := l.allow("ip:192.0.2.1"); !ok {
			t.Fatalf("attempt %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("ip:192.0.2.1")
	if ok || wait != 10*time.Second {
		t.Fatalf("the fourth attempt: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.allow("ip:192.0.2.2"); !ok {
		t.Error("another address is not limited by the first")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.allow("ip:192.0.2.1"); !ok {
		t.Error("a token is back after the interval")
	}
}
