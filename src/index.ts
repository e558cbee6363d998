// sim900-email: email through a SIM900 modem's email AT commands, for Espruino.
// connect(port, options, callback) returns the object of API.md; its calls queue and run in order.
import { createModem, Modem, Options } from "./modem";
import { send, settings, Message } from "./smtp";
import { EmailError } from "./errors";
import { series, Callback } from "./flow";

export { Options, Server } from "./modem";
export { Message, Address, Attachment, Recipients } from "./smtp";
export { EmailError } from "./errors";

export interface Email {
  send(msg: Message, cb?: (err: EmailError | null, info?: { commands: number; size: number }) => void): void;
  close(cb?: (err?: EmailError | null) => void): void;
}

/** After these the modem's state is unknown: prepare it again before the next operation. */
function resets(err: EmailError): boolean {
  var c = err.code;
  return !(err.type === "ARGUMENT" || err.type === "SERVER" || (c !== undefined && c >= 65 && c <= 68));
}

export function connect(port: Port, options: Options, callback?: (err?: EmailError | null) => void): Email {
  var o: Options = {};
  for (var k in options) (o as any)[k] = (options as any)[k];
  if (o.ssl === undefined) o.ssl = !!((o.smtp && o.smtp.port === 465) || (o.pop3 && o.pop3.port === 995));
  var m: Modem = createModem(port, o);

  /** Queues `op`; on failure forgets what the modem may have lost, so the next call starts clean. */
  function run(op: (m: Modem, done: Callback) => void, cb?: Callback) {
    m.run(function (done) {
      op(m, function (err?: any, a?: any, b?: any) {
        if (err) {
          m.cache = {};
          if (resets(err)) m.ready = false;
        }
        done(err || null, a, b);
      });
    }, cb);
  }

  run(function (m, done) { m.ensure(done); }, callback);

  return {
    send: function (msg, cb) {
      run(function (m, done) {
        var s = settings(m, msg); // throws on a bad argument, before any command is sent
        series([m.ensure, function () { send(m, msg, s, done); }], done);
      }, cb);
    },
    close: function (cb) {
      run(function (m, done) {
        m.at("AT+SAPBR=0," + (o.cid || 1), null, function (err) {
          m.ready = false;
          m.close();
          done(err);
        });
      }, cb);
    },
  };
}
