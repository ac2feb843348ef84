/**
 * Passwords of 8+ characters that top the public breach lists (NIST SP 800-63B §3.1.1.2 asks
 * verifiers to refuse values known to be commonly used). Compared in lower case.
 */
export const COMMON_PASSWORDS = new Set(
  `password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword 12345678
123456789 1234567890 12345678910 123123123 987654321 11111111 111111111 00000000 88888888
qwertyuiop qwerty123 qwerty12 1qaz2wsx 1q2w3e4r 1q2w3e4r5t zaq12wsx qazwsxedc asdfghjkl
iloveyou iloveyou1 sunshine princess football baseball superman batman123 trustno1 welcome1
welcome123 letmein1 letmein123 monkey123 dragon123 starwars whatever computer internet
michelle jennifer jordan23 liverpool chelsea1 arsenal1 charlie1 shadow12 master123 abc12345
abcd1234 abcdefgh aa123456 a1234567 admin123 administrator changeme changeme123 secret123
123qweasd qweasdzxc 1234qwer zxcvbnm1 zxcvbnm123 passport freedom1 asdf1234 test1234
testing123 hello123 hellokitty lovely12 mustang1 harley12 buster12 soccer12 hockey12
samsung1 google123 pokemon1 minecraft fuckyou1 naruto123 q1w2e3r4 q1w2e3r4t5 11223344
12341234 12121212 87654321 55555555 66666666 77777777 99999999 147258369 159753456
password! password@ iloveyou! india123 india@123 bharat123`.split(/\s+/),
)
