/**
 * The most common passwords of 12 or more characters, as they appear at the
 * top of public breach lists (shorter ones are already refused by length).
 * Compared case-insensitively. Short on purpose: it stops the first guesses
 * every attacker tries, not a dictionary attack (argon2 and the sign-in
 * limits handle those).
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "123456789012", "1234567890123", "12345678901234", "123456789123", "123123123123", "111222333444",
  "098765432109", "987654321098", "147258369147", "123456123456", "121212121212", "112233445566",
  "1q2w3e4r5t6y", "1qaz2wsx3edc", "qwertyuiopas", "qwertyuiop12", "qwertyuiop123", "qwerty123456",
  "qwerty1234567", "qwertyqwerty", "asdfghjkl123", "asdfghjklqwe", "zxcvbnm12345", "qazwsxedcrfv",
  "q1w2e3r4t5y6", "1q2w3e4r1q2w", "abcdefghijkl", "abcdefgh1234", "abc123abc123", "abcd1234abcd",
  "password1234", "password12345", "password123456", "passwordpassword", "password1password", "password!123",
  "p@ssw0rd1234", "passw0rd1234", "mypassword123", "mypassword1234", "newpassword123", "changeme1234",
  "changemeplease", "letmein12345", "letmeinplease", "welcome12345", "welcome123456", "welcometothejungle",
  "iloveyou1234", "iloveyou12345", "iloveyouforever", "trustno1trustno1", "football1234", "baseball1234",
  "basketball123", "superman1234", "batman123456", "starwars1234", "sunshine1234", "princess1234",
  "monkey123456", "dragon123456", "master123456", "shadow123456", "michael12345", "jennifer1234",
  "administrator", "administrator1", "administrator123", "admin1234567", "adminadmin123", "admin123admin",
  "rootpassword", "root12345678", "qwerty12345678", "computer1234", "internet1234", "secret123456",
  "hello1234567", "helloworld123", "helloworld1234", "whatever1234", "nopassword123", "default12345",
  "fleetpin1234", "fleetpinadmin", "fleetpin12345", "correcthorsebatterystaple", "correct horse battery staple",
  "1234qwerasdf", "1234qwer1234", "zaq12wsxcde3", "!qaz2wsx3edc", "aa123456789a", "aaaaaa111111",
]);
