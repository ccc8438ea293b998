// A trivial JavaScript processor: bare Artillery's start-up with a processor, the pack's start-up yardstick.
module.exports = {
  noop(_context, _events, done) {
    done();
  },
};
