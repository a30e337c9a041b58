Package: libssl3
Version: 3.0.11-1~deb12u2
Architecture: amd64
Source: openssl
Description: x
 y
 .
 z
