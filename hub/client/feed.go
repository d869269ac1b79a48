package client

import (
	"context"
	"errors"
	"sync"
	"time"

	"connectrpc.com/connect"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// subscription is one Subscribe: it follows the hub's feed stream, and when
// the connection drops it reconnects and resumes after the last change it
// delivered, so that none is missed and none delivered twice.
type subscription struct {
	c      *Client
	fn     func(data.Change)
	cancel context.CancelFunc

	mu      sync.Mutex
	stopped bool
	// last is the sequence number of the newest write seen and delivered is
	// how many of its changes fn has had: a stream may drop between two
	// changes of one write, and then the rest must follow without the first.
	last      uint64
	delivered int
	// resumable is false until the hub said where a from-now-on feed starts.
	resumable bool
}

// Reconnecting waits between attempts, growing to feedBackoffMax.
const (
	feedBackoffMin = 100 * time.Millisecond
	feedBackoffMax = 5 * time.Second
)

// Subscribe calls fn with each change committed on the hub after sequence
// number after (data.FeedLive: from now on), in order and once each, across
// dropped connections, until ctx ends or cancel is called. fn runs on the
// subscription's own goroutine and must not block.
func (c *Client) Subscribe(ctx context.Context, after uint64, fn func(data.Change)) (cancel func(), err error) {
	if c.isClosed() {
		return nil, ErrClosed
	}
	ctx, stopStream := context.WithCancel(ctx)
	s := &subscription{c: c, fn: fn, cancel: stopStream, last: after, resumable: after != data.FeedLive}
	stream, err := s.open(ctx)
	if err != nil {
		stopStream()
		return nil, err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		stopStream()
		return nil, ErrClosed
	}
	c.feeds[s] = true
	c.mu.Unlock()
	go s.follow(ctx, stream)
	return func() {
		c.mu.Lock()
		delete(c.feeds, s)
		c.mu.Unlock()
		s.stop()
	}, nil
}

// stop ends the subscription: fn is not called once stop has returned
// (unless called from fn itself).
func (s *subscription) stop() {
	s.cancel()
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
}

// open starts a stream after the last change delivered and reads its first
// message, the sequence number the hub starts after.
func (s *subscription) open(ctx context.Context) (*connect.ServerStreamForClient[wire.FeedMessage], error) {
	req := connect.NewRequest(s.resumeFrom())
	s.c.authorize(req.Header())
	stream, err := s.c.feed.CallServerStream(ctx, req)
	if err != nil {
		return nil, wire.FromConnect(err)
	}
	if !stream.Receive() {
		err := stream.Err()
		stream.Close()
		if err == nil {
			err = errors.New("the hub ended the change feed at once")
		}
		return nil, wire.FromConnect(err)
	}
	s.mu.Lock()
	if !s.resumable {
		s.last, s.resumable = stream.Msg().Head, true
	}
	s.mu.Unlock()
	return stream, nil
}

// resumeFrom is where a new stream starts: after the last write delivered
// whole, so that the rest of a write cut off halfway follows its first changes.
func (s *subscription) resumeFrom() *wire.SubscribeRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := &wire.SubscribeRequest{After: s.last, Resume: s.resumable}
	if s.delivered > 0 {
		msg.After = s.last - 1
	}
	return msg
}

// follow delivers the stream's changes and, when it breaks, opens another
// until ctx ends.
func (s *subscription) follow(ctx context.Context, stream *connect.ServerStreamForClient[wire.FeedMessage]) {
	wait := feedBackoffMin
	for {
		// skip is how many changes of the write at last the new stream
		// repeats.
		s.mu.Lock()
		skip := s.delivered
		s.mu.Unlock()
		for stream.Receive() {
			if c := stream.Msg().Change; c != nil {
				s.deliver(*c, &skip)
			}
		}
		stream.Close()
		for {
			if ctx.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			var err error
			if stream, err = s.open(ctx); err == nil {
				wait = feedBackoffMin
				break
			}
			wait = min(2*wait, feedBackoffMax)
		}
	}
}

func (s *subscription) deliver(c data.Change, skip *int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopped:
		return
	case c.Seq == s.last && *skip > 0:
		*skip--
		return
	case c.Seq > s.last:
		s.last, s.delivered = c.Seq, 0
	case c.Seq < s.last || s.delivered == 0:
		return // delivered before this stream began
	}
	*skip = 0
	s.delivered++
	s.fn(c)
}
