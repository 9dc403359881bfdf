package sqlite

import (
	"strconv"
	"time"
)

// DefaultBusyTimeout is how long a write waits for the lock of the
// database held by another process before it fails with a clear error.
const DefaultBusyTimeout = 10 * time.Second

// Options tune how a database is opened; the zero value is the default.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection (DefaultBusyTimeout when 0).
	BusyTimeout time.Duration
	// PasswordCost is the bcrypt cost of the passwords hashed
	// (bcrypt.DefaultCost when 0). Tests lower it to bcrypt.MinCost: a
	// sign-in then costs microseconds instead of a tenth of a second.
	PasswordCost int
}

func (o Options) busyMillis() string {
	d := o.BusyTimeout
	if d <= 0 {
		d = DefaultBusyTimeout
	}
	return strconv.FormatInt(d.Milliseconds(), 10)
}
