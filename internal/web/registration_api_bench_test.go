package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkRegistrationThroughTheRouter registers one participant at a
// time through the real router and store (each from its own address, past
// the rate limit of the public forms), for the processor time and the
// allocations of one registration (issue 14):
//
//	go test ./internal/web/ -run '^$' -bench RegistrationThroughTheRouter -benchtime 2000x -benchmem
func BenchmarkRegistrationThroughTheRouter(b *testing.B) {
	s, _ := newServer(b)
	i := 0
	for b.Loop() {
		body := fmt.Sprintf(`{"name":"Participant %d","email":"banc-%d@exemple.fr","category":"citizen","workshop_id":7,"consent":true}`, i, i)
		req := httptest.NewRequest("POST", "/api/v1/events/2/register", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = fmt.Sprintf("127.1.%d.%d:40000", i/250%250, i%250+1)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 201 {
			b.Fatalf("registration %d: %d %s", i, w.Code, w.Body)
		}
		i++
	}
}
