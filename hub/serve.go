package hub

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve answers on ln over TLS with cert until ctx ends, then stops: the
// feed streams end, calls under way finish (up to a few seconds). A device
// that speaks plain HTTP gets "400 Bad Request" and nothing else.
func (h *Hub) Serve(ctx context.Context, ln net.Listener, cert tls.Certificate) error {
	h.mu.Lock()
	h.fingerprint = Fingerprint(cert)
	h.mu.Unlock()
	stop := make(chan struct{})
	srv := &http.Server{
		BaseContext: func(net.Listener) context.Context {
			return context.WithValue(context.Background(), stoppingKey{}, stop)
		},
		Handler:           h.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS13,
			NextProtos:   []string{"h2", "http/1.1"},
		},
	}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	close(stop)
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(stopCtx)
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}

type stoppingKey struct{}

// stopping is closed when the server that took the call stops, so that its
// feed streams end and Shutdown need not wait for them.
func stopping(ctx context.Context) <-chan struct{} {
	c, _ := ctx.Value(stoppingKey{}).(chan struct{})
	return c
}

// compressMinBytes is the smallest answer the hub compresses.
const compressMinBytes = 4096
