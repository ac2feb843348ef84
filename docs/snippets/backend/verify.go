// Verify an sms-auth access token in Go with the standard library only: ES256 against the edge's
// JWKS, then iss, aud and exp. Usage: SMS_AUTH_JWKS_URL=… SMS_AUTH_ISSUER=… go run verify.go <token>
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"strings"
	"time"
)

type jwk struct {
	Kid, Kty, Crv, X, Y string
}

type claims struct {
	Iss           string          `json:"iss"`
	Aud           json.RawMessage `json:"aud"`
	Sub           string          `json:"sub"`
	Sid           string          `json:"sid"`
	Exp           int64           `json:"exp"`
	AuthTime      int64           `json:"auth_time"`
	Amr           []string        `json:"amr"`
	PhoneVerified bool            `json:"phone_verified"`
}

var b64 = base64.RawURLEncoding

// keys fetches the JWKS; a real backend caches it and fetches again on an unknown kid.
func keys(url string) (map[string]*ecdsa.PublicKey, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var set struct{ Keys []jwk }
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		return nil, err
	}
	out := map[string]*ecdsa.PublicKey{}
	for _, k := range set.Keys {
		x, errX := b64.DecodeString(k.X)
		y, errY := b64.DecodeString(k.Y)
		if k.Kty != "EC" || k.Crv != "P-256" || errX != nil || errY != nil {
			continue
		}
		out[k.Kid] = &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
	}
	return out, nil
}

func verify(token, jwksURL, issuer string) (*claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	var header struct{ Alg, Kid string }
	raw, err := b64.DecodeString(parts[0])
	if err != nil || json.Unmarshal(raw, &header) != nil || header.Alg != "ES256" {
		return nil, errors.New("not an ES256 token")
	}
	set, err := keys(jwksURL)
	if err != nil {
		return nil, err
	}
	key, ok := set[header.Kid]
	sig, err := b64.DecodeString(parts[2])
	if !ok || err != nil || len(sig) != 64 {
		return nil, errors.New("unknown key or bad signature")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(key, digest[:], r, s) {
		return nil, errors.New("bad signature")
	}
	var c claims
	if raw, err = b64.DecodeString(parts[1]); err != nil || json.Unmarshal(raw, &c) != nil {
		return nil, errors.New("bad payload")
	}
	var aud string
	if c.Iss != issuer || json.Unmarshal(c.Aud, &aud) != nil || aud != "sms-auth" {
		return nil, errors.New("wrong issuer or audience")
	}
	if time.Now().Unix() >= c.Exp+5 {
		return nil, errors.New("expired")
	}
	return &c, nil
}

func main() {
	c, err := verify(os.Args[1], os.Getenv("SMS_AUTH_JWKS_URL"), os.Getenv("SMS_AUTH_ISSUER"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "refused:", err)
		os.Exit(1)
	}
	fmt.Println(c.Sub)
}
