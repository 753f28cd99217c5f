package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/connect"
)

// admin serves connectlocal's own endpoints, for what the Connect API has no operation
// for: reading the rules engine's log and deliveries, and injecting events of the
// sources connectlocal does not produce itself. They take no signature; the account is
// the query parameter "account" (default 000000000000).
//
//	GET  /_connectlocal/instances/{instance}/evaluations
//	GET  /_connectlocal/instances/{instance}/deliveries
//	POST /_connectlocal/instances/{instance}/events   {"EventSourceName": "...", "Event": {...}}
//	GET  /_connectlocal/instances/{instance}/email-analytics
//	PUT  /_connectlocal/instances/{instance}/email-analytics   connect.EmailAnalyticsSettings
func (s *Server) admin() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_connectlocal/instances/{instance}/email-analytics", func(w http.ResponseWriter, r *http.Request) {
		settings, err := s.service.EmailAnalyticsSettings(r.Context(), adminAccount(r), r.PathValue("instance"))
		writeAdmin(w, settings, err)
	})
	mux.HandleFunc("PUT /_connectlocal/instances/{instance}/email-analytics", func(w http.ResponseWriter, r *http.Request) {
		var in connect.EmailAnalyticsSettings
		if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&in); err != nil {
			writeAdmin(w, nil, api.Errorf(api.InvalidRequest, "the body must be the settings as JSON: %v", err))
			return
		}
		err := s.service.SetEmailAnalyticsSettings(r.Context(), adminAccount(r), r.PathValue("instance"), in)
		writeAdmin(w, in, err)
	})
	mux.HandleFunc("GET /_connectlocal/instances/{instance}/evaluations", func(w http.ResponseWriter, r *http.Request) {
		list, err := s.service.Evaluations(r.Context(), adminAccount(r), r.PathValue("instance"))
		writeAdmin(w, map[string]any{"Evaluations": nonNil(list)}, err)
	})
	mux.HandleFunc("GET /_connectlocal/instances/{instance}/deliveries", func(w http.ResponseWriter, r *http.Request) {
		list, err := s.service.Deliveries(r.Context(), adminAccount(r), r.PathValue("instance"))
		writeAdmin(w, map[string]any{"Deliveries": nonNil(list)}, err)
	})
	mux.HandleFunc("POST /_connectlocal/instances/{instance}/events", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			EventSourceName string
			Event           map[string]any
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&in); err != nil {
			writeAdmin(w, nil, api.Errorf(api.InvalidRequest, "the body must be {\"EventSourceName\": ..., \"Event\": {...}}: %v", err))
			return
		}
		seq, err := s.service.InjectEvent(r.Context(), adminAccount(r), r.PathValue("instance"), in.EventSourceName, in.Event)
		writeAdmin(w, map[string]any{"Seq": seq}, err)
	})
	return mux
}

func adminAccount(r *http.Request) string {
	if a := r.URL.Query().Get("account"); a != "" {
		return a
	}
	return connect.DefaultAccount
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func writeAdmin(w http.ResponseWriter, body any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		var e *api.Error
		if !errors.As(err, &e) {
			e = api.Errorf(api.InternalService, "%v", err)
		}
		w.WriteHeader(e.Status())
		body = map[string]any{"__type": e.Code, "Message": e.Message}
	}
	json.NewEncoder(w).Encode(body)
}

// runDeliveries sends the rules' deliveries to the webhook, if one is configured, every
// interval until ctx ends.
func (s *Server) runDeliveries(ctx context.Context, interval time.Duration) {
	var send connect.Sender
	if s.cfg.WebhookURL != "" {
		client := &http.Client{Timeout: 10 * time.Second}
		send = func(ctx context.Context, d connect.Delivery) error {
			body, err := json.Marshal(d.Body)
			if err != nil {
				return err
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.WebhookURL, bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Connectlocal-Delivery", d.Kind)
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				return fmt.Errorf("webhook answered %s", resp.Status)
			}
			return nil
		}
	}
	s.service.RunDeliveries(ctx, send, interval)
}
