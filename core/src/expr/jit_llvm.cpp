// The native tape compiler: each tape becomes one LLVM IR function, optimized
// at -O2 and compiled for this CPU by LLVM's ORC JIT (LLVM 14, Debian's
// llvm-14-dev). The IR uses no fast-math flags and LLVM fuses no multiply-add
// by default, so every operation rounds as the interpreter's does; library
// functions are called at the addresses of this build's own wrappers
// (libm_function), never through LLVM's intrinsics, which may be simplified.
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "expr/jit.h"
#include "expr/libm.h"

namespace numen::expr {
namespace {

// One JIT for the process, never destroyed: compiled tapes may outlive any
// static object's destructor.
struct Host {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::mutex mutex;
  std::uint64_t next_id = 0;
};

Host* host() {
  static Host* instance = [] {
    auto* h = new Host;
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto created = llvm::orc::LLJITBuilder().create();
    if (!created) {
      llvm::consumeError(created.takeError());
      return h;
    }
    h->jit = std::move(*created);
    auto process =
        llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(h->jit->getDataLayout().getGlobalPrefix());
    if (process) h->jit->getMainJITDylib().addGenerator(std::move(*process));
    else llvm::consumeError(process.takeError());
    return h;
  }();
  return instance;
}

class LlvmTape final : public CompiledTape {
 public:
  LlvmTape(std::vector<llvm::orc::ResourceTrackerSP> trackers, TapeFunction fn) : trackers_(std::move(trackers)) {
    function_ = fn;
  }
  ~LlvmTape() override {
    std::lock_guard<std::mutex> lock(host()->mutex);
    for (auto& t : trackers_) llvm::consumeError(t->remove());
  }

 private:
  std::vector<llvm::orc::ResourceTrackerSP> trackers_;
};

// Set at exit: a compile in progress stops at its next link instead of keeping the process waiting.
std::atomic<bool> g_stopping{false};

bool is_jump(Op op) { return op == Op::JumpIfZero || op == Op::JumpIfNonZero; }

class IrWriter {
 public:
  IrWriter(const Tape& tape, const TapeContext& cx, llvm::LLVMContext& ctx, llvm::Module& module)
      : tape_(tape), cx_(cx), ctx_(ctx), module_(module), b_(ctx), dbl_(llvm::Type::getDoubleTy(ctx)) {}

  /// Whether the tape can be compiled at all (tables stay interpreted; jumps stay inside the tape).
  bool compilable() const {
    const std::size_t size = tape_.code.size();
    for (const Instr& in : tape_.code) {
      if (in.op == Op::Interp || in.op == Op::InterpSlope) return false;
      if (is_jump(in.op) && in.b > size) return false;
    }
    return true;
  }

  /// The whole tape as one function `name`.
  bool write(const std::string& name) {
    return compilable() && write_chunk(name, 0, tape_.code.size(), true, false) && !llvm::verifyFunction(*fn_);
  }

  /// Instructions [begin, end) as function `name`, its temporaries in the workspace (one link of a chain).
  bool write_link(const std::string& name, std::size_t begin, std::size_t end) {
    return write_chunk(name, begin, end, end == tape_.code.size(), true) && !llvm::verifyFunction(*fn_);
  }

  /// `name`, which calls the links in order.
  bool write_chain(const std::string& name, const std::vector<std::string>& links) {
    llvm::FunctionType* type = function_type();
    fn_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn_));
    for (const std::string& link : links) {
      llvm::FunctionCallee callee = module_.getOrInsertFunction(link, type);
      b_.CreateCall(callee, {fn_->getArg(0), fn_->getArg(1)});
    }
    b_.CreateRetVoid();
    return !llvm::verifyFunction(*fn_);
  }

  /// Where the links of a chain start: every kInstructionsPerChunk instructions or so, never inside a jump's reach.
  /// A tape shorter than that is one function.
  std::vector<std::size_t> chunk_starts() const {
    std::vector<std::size_t> starts{0};
    if (tape_.code.size() <= kLongestSingleFunction) return starts;
    std::size_t reach = 0;
    for (std::size_t pc = 0; pc < tape_.code.size(); ++pc) {
      if (pc >= reach && pc - starts.back() >= kInstructionsPerChunk) starts.push_back(pc);
      const Instr& in = tape_.code[pc];
      if (is_jump(in.op)) reach = std::max<std::size_t>(reach, in.b);
    }
    return starts;
  }

  // -O2's time grows faster than a function's size: a 20,000-instruction tape compiles many times faster as a
  // chain of 250-instruction functions, each its own compile (so a compile can stop between two of them). Tapes
  // up to kLongestSingleFunction stay whole, where passing temporaries in registers pays (fluid_poppet's Jacobian
  // is 515 instructions).
  static constexpr std::size_t kInstructionsPerChunk = 250;
  static constexpr std::size_t kLongestSingleFunction = 2000;
  // A tape with more outputs than this copies them in a loop (write_output_loop), not as one store each: tens of
  // thousands of stores of a few values in one block (a 16,000-node rod's Jacobian is 48,000 copies of g and -2 g)
  // made LLVM's instruction selection quadratic (SDNode::hasNUsesOfValue), a compile that never finished.
  static constexpr std::size_t kLongestUnrolledOutputs = 2000;

 private:
  llvm::FunctionType* function_type() {
    auto* ptr = llvm::PointerType::getUnqual(dbl_);
    return llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr, ptr}, false);
  }

  // Instructions [begin, end) as a function. In a chain (in_memory), temporaries live in the workspace, where the
  // interpreter keeps them too, so that one chunk reads what an earlier one wrote.
  bool write_chunk(const std::string& name, std::size_t begin, std::size_t end, bool last, bool in_memory) {
    fn_ = llvm::Function::Create(function_type(), llvm::Function::ExternalLinkage, name, module_);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    fn_->addParamAttr(0, llvm::Attribute::NoAlias);
    fn_->addParamAttr(1, llvm::Attribute::NoAlias);
    ws_ = fn_->getArg(0);
    out_ = fn_->getArg(1);
    in_memory_ = in_memory;
    temps_.clear();
    leaves_.clear();
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn_));

    std::map<std::size_t, llvm::BasicBlock*> targets;
    for (std::size_t pc = begin; pc < end; ++pc) {
      const Instr& in = tape_.code[pc];
      if (!is_jump(in.op)) continue;
      if (!targets.count(in.b)) targets[in.b] = llvm::BasicBlock::Create(ctx_, "L" + std::to_string(in.b), fn_);
    }
    for (std::size_t pc = begin; pc <= end; ++pc) {
      auto target = targets.find(pc);
      if (target != targets.end()) {
        if (!b_.GetInsertBlock()->getTerminator()) b_.CreateBr(target->second);
        b_.SetInsertPoint(target->second);
      }
      if (pc == end) break;
      const Instr& in = tape_.code[pc];
      if (is_jump(in.op)) {
        llvm::Value* a = get(in.a);
        llvm::Value* jump = in.op == Op::JumpIfZero ? b_.CreateFCmpOEQ(a, zero()) : b_.CreateFCmpUNE(a, zero());
        auto* next = llvm::BasicBlock::Create(ctx_, "", fn_);
        b_.CreateCondBr(jump, targets.at(in.b), next);
        b_.SetInsertPoint(next);
        continue;
      }
      llvm::Value* v = emit(in);
      if (!v) return false;
      b_.CreateStore(v, temp(in.dst));
    }
    if (last && in_memory_ && tape_.outputs.size() > kLongestUnrolledOutputs) {
      write_output_loop(name);
    } else if (last) {
      for (std::size_t k = 0; k < tape_.outputs.size(); ++k)
        b_.CreateStore(get(tape_.outputs[k]), b_.CreateConstInBoundsGEP1_64(dbl_, out_, k));
    }
    b_.CreateRetVoid();
    return true;
  }

  // out[k] = ws[outputs[k]] as a loop over a constant table of registers, as the interpreter copies them. With every
  // value in the workspace (in_memory_) this reads what the tape wrote.
  void write_output_loop(const std::string& name) {
    const std::size_t count = tape_.outputs.size();
    llvm::Type* i32 = llvm::Type::getInt32Ty(ctx_);
    llvm::Type* i64 = llvm::Type::getInt64Ty(ctx_);
    auto* table_type = llvm::ArrayType::get(i32, count);
    auto* table = new llvm::GlobalVariable(
        module_, table_type, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantDataArray::get(ctx_, llvm::ArrayRef<std::uint32_t>(tape_.outputs.data(), count)),
        name + "_outputs");
    llvm::BasicBlock* before = b_.GetInsertBlock();
    llvm::BasicBlock* loop = llvm::BasicBlock::Create(ctx_, "outputs", fn_);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, "done", fn_);
    b_.CreateBr(loop);
    b_.SetInsertPoint(loop);
    llvm::PHINode* k = b_.CreatePHI(i64, 2);
    k->addIncoming(llvm::ConstantInt::get(i64, 0), before);
    llvm::Value* slot = b_.CreateInBoundsGEP(table_type, table, {llvm::ConstantInt::get(i64, 0), k});
    llvm::Value* reg = b_.CreateZExt(b_.CreateLoad(i32, slot), i64);
    b_.CreateStore(b_.CreateLoad(dbl_, b_.CreateInBoundsGEP(dbl_, ws_, reg)), b_.CreateInBoundsGEP(dbl_, out_, k));
    llvm::Value* next = b_.CreateAdd(k, llvm::ConstantInt::get(i64, 1));
    k->addIncoming(next, loop);
    b_.CreateCondBr(b_.CreateICmpULT(next, llvm::ConstantInt::get(i64, count)), loop, done);
    b_.SetInsertPoint(done);
  }

  llvm::Value* zero() { return constant(0.0); }
  llvm::Value* constant(double v) { return llvm::ConstantFP::get(dbl_, v); }

  // Temporaries live in stack slots that mem2reg turns into SSA values (in a chain of chunks: in the workspace);
  // leaves are loaded once, at entry.
  llvm::Value* temp(std::uint32_t idx) {
    auto [it, added] = temps_.emplace(idx, nullptr);
    if (added) {
      llvm::IRBuilder<> entry(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
      it->second = in_memory_ ? entry.CreateConstInBoundsGEP1_64(dbl_, ws_, idx)
                              : static_cast<llvm::Value*>(entry.CreateAlloca(dbl_));
    }
    return it->second;
  }
  llvm::Value* get(std::uint32_t idx) {
    if (idx < cx_.layout.time) return constant(cx_.constants[idx]);
    if (idx >= cx_.layout.temps) return b_.CreateLoad(dbl_, temp(idx));
    auto [it, added] = leaves_.emplace(idx, nullptr);
    if (added) {
      llvm::BasicBlock& entry = fn_->getEntryBlock();
      llvm::IRBuilder<> at(&entry, entry.getTerminator() ? entry.getTerminator()->getIterator() : entry.end());
      it->second = at.CreateLoad(dbl_, at.CreateConstInBoundsGEP1_64(dbl_, ws_, idx));
    }
    return it->second;
  }
  llvm::Value* to_double(llvm::Value* flag) { return b_.CreateUIToFP(flag, dbl_); }
  llvm::Value* call_libm(Op op, llvm::ArrayRef<llvm::Value*> args) {
    std::vector<llvm::Type*> params(args.size(), dbl_);
    auto* type = llvm::FunctionType::get(dbl_, params, false);
    auto* address =
        llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx_), reinterpret_cast<std::uintptr_t>(libm_function(op)));
    auto* callee = llvm::ConstantExpr::getIntToPtr(address, llvm::PointerType::getUnqual(type));
    llvm::CallInst* call = b_.CreateCall(type, callee, args);
    call->setDoesNotThrow();
    return call;
  }
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::Value* a) { return b_.CreateUnaryIntrinsic(id, a); }

  llvm::Value* emit(const Instr& in) {
    llvm::Value* a = get(in.a);
    auto b = [&] { return get(in.b); };
    if (libm_function(in.op)) return is_libm_binary(in.op) ? call_libm(in.op, {a, b()}) : call_libm(in.op, {a});
    switch (in.op) {
      case Op::Add: return b_.CreateFAdd(a, b());
      case Op::Sub: return b_.CreateFSub(a, b());
      case Op::Mul: return b_.CreateFMul(a, b());
      case Op::Div: return b_.CreateFDiv(a, b());
      case Op::Neg: return b_.CreateFNeg(a);
      case Op::Abs: return intrinsic(llvm::Intrinsic::fabs, a);     // exact: clears the sign bit
      case Op::Floor: return intrinsic(llvm::Intrinsic::floor, a);  // exact
      case Op::Sqrt: return intrinsic(llvm::Intrinsic::sqrt,
                                      a);  // correctly rounded, as std::sqrt
      case Op::Square: return b_.CreateFMul(a, a);
      case Op::Min: {
        llvm::Value* bv = b();
        return b_.CreateSelect(b_.CreateFCmpOLE(a, bv), a, bv);
      }
      case Op::Max: {
        llvm::Value* bv = b();
        return b_.CreateSelect(b_.CreateFCmpOGE(a, bv), a, bv);
      }
      case Op::Lt: return to_double(b_.CreateFCmpOLT(a, b()));
      case Op::Le: return to_double(b_.CreateFCmpOLE(a, b()));
      case Op::Gt: return to_double(b_.CreateFCmpOGT(a, b()));
      case Op::Ge: return to_double(b_.CreateFCmpOGE(a, b()));
      case Op::Eq: return to_double(b_.CreateFCmpOEQ(a, b()));
      case Op::Ne: return to_double(b_.CreateFCmpUNE(a, b()));
      case Op::And: return to_double(b_.CreateAnd(b_.CreateFCmpUNE(a, zero()), b_.CreateFCmpUNE(b(), zero())));
      case Op::Or: return to_double(b_.CreateOr(b_.CreateFCmpUNE(a, zero()), b_.CreateFCmpUNE(b(), zero())));
      case Op::Not: return to_double(b_.CreateFCmpOEQ(a, zero()));
      case Op::Select: return b_.CreateSelect(b_.CreateFCmpUNE(a, zero()), b(), get(in.c));
      case Op::GuardMul: return b_.CreateSelect(b_.CreateFCmpOEQ(a, zero()), zero(), b_.CreateFMul(a, b()));
      case Op::Sign:
        return b_.CreateSelect(b_.CreateFCmpOGT(a, zero()), constant(1.0),
                               b_.CreateSelect(b_.CreateFCmpOLT(a, zero()), constant(-1.0), zero()));
      case Op::PowInt: {  // tape.cpp's pow_int, unrolled: the same multiplications
                          // in the same order
        std::int32_t n;
        std::memcpy(&n, &in.b, sizeof n);
        const bool invert = n < 0;
        unsigned e = static_cast<unsigned>(invert ? -static_cast<long>(n) : n);
        llvm::Value* result = constant(1.0);
        llvm::Value* base = a;
        while (e) {
          if (e & 1u) result = b_.CreateFMul(result, base);
          e >>= 1u;
          if (e) base = b_.CreateFMul(base, base);
        }
        return invert ? b_.CreateFDiv(constant(1.0), result) : result;
      }
      default: return nullptr;
    }
  }

  const Tape& tape_;
  const TapeContext& cx_;
  llvm::LLVMContext& ctx_;
  llvm::Module& module_;
  llvm::IRBuilder<> b_;
  llvm::Type* dbl_;
  llvm::Function* fn_ = nullptr;
  llvm::Value* ws_ = nullptr;
  llvm::Value* out_ = nullptr;
  std::map<std::uint32_t, llvm::Value*> temps_;
  bool in_memory_ = false;
  std::map<std::uint32_t, llvm::Value*> leaves_;
};

void optimize(llvm::Module& module) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  // -O2 rather than just promoting the temporaries to registers: the code is
  // 15% faster, for little more time than the code generator itself takes.
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, mam);
}

// LLVM takes 5-30 ms to compile a tape, longer than many whole solves: compiles
// run on one background thread while the interpreter goes on, and a tape
// switches to its code when it is ready.
class Compiler {
 public:
  static Compiler& instance() {
    static Compiler* compiler = [] {
      auto* c = new Compiler;  // never destroyed; its thread is joined at exit,
                               // before LLVM's statics go
      std::atexit([] { Compiler::instance().stop(); });
      return c;
    }();
    return *compiler;
  }

  void submit(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
    jobs_.push_back(std::move(job));
    wake_.notify_one();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  void stop() {
    g_stopping.store(true, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      jobs_.clear();
      wake_.notify_one();
    }
    if (worker_.joinable()) worker_.join();
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::thread worker_;
  bool stopping_ = false;
};

}  // namespace

bool jit_available() { return host()->jit != nullptr; }

void run_compile_job(std::function<void()> job) { Compiler::instance().submit(std::move(job)); }

namespace {
// Optimizes and adds one module; its function `name` is looked up (which makes ORC generate its code). nullptr on
// failure (the tracker is then removed).
TapeFunction add_module(Host* h, std::unique_ptr<llvm::LLVMContext> ctx, std::unique_ptr<llvm::Module> module,
                        const std::string& name, std::vector<llvm::orc::ResourceTrackerSP>& trackers, bool optimized) {
  if (optimized) optimize(*module);
  llvm::orc::ResourceTrackerSP tracker = h->jit->getMainJITDylib().createResourceTracker();
  if (llvm::Error err = h->jit->addIRModule(tracker, llvm::orc::ThreadSafeModule(std::move(module), std::move(ctx)))) {
    llvm::consumeError(std::move(err));
    return nullptr;
  }
  auto symbol = h->jit->lookup(name);
  if (!symbol) {
    llvm::consumeError(symbol.takeError());
    llvm::consumeError(tracker->remove());
    return nullptr;
  }
  trackers.push_back(tracker);
  return reinterpret_cast<TapeFunction>(symbol->getAddress());
}

struct Module {
  std::unique_ptr<llvm::LLVMContext> ctx = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  Module(const std::string& name, const llvm::orc::LLJIT& jit) {
    module = std::make_unique<llvm::Module>(name, *ctx);
    module->setDataLayout(jit.getDataLayout());
    module->setTargetTriple(jit.getTargetTriple().str());
  }
};
}  // namespace

std::unique_ptr<CompiledTape> compile_tape(const Tape& tape, const TapeContext& context) {
  Host* h = host();
  if (!h->jit || tape.code.size() > kMaxJitInstructions) return nullptr;
  std::lock_guard<std::mutex> lock(h->mutex);
  const std::string name = "numen_tape_" + std::to_string(h->next_id++);
  std::vector<llvm::orc::ResourceTrackerSP> trackers;
  auto fail = [&] {
    for (auto& t : trackers) llvm::consumeError(t->remove());
    return nullptr;
  };
  Module whole(name, *h->jit);
  IrWriter probe(tape, context, *whole.ctx, *whole.module);
  if (!probe.compilable()) return nullptr;
  const std::vector<std::size_t> starts = probe.chunk_starts();
  // Many outputs are copied from the workspace, so a short tape with many of them is a chain of one link.
  if (starts.size() == 1 && tape.outputs.size() <= IrWriter::kLongestUnrolledOutputs) {
    if (!probe.write(name)) return nullptr;
    TapeFunction fn = add_module(h, std::move(whole.ctx), std::move(whole.module), name, trackers, true);
    if (!fn) return nullptr;
    return std::make_unique<LlvmTape>(std::move(trackers), fn);
  }
  // A chain: each link is its own module and compile, and the tape's function calls them in order.
  std::vector<std::string> links;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    if (g_stopping.load(std::memory_order_relaxed)) return fail();
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : tape.code.size();
    links.push_back(name + "_" + std::to_string(i));
    Module m(links.back(), *h->jit);
    if (!IrWriter(tape, context, *m.ctx, *m.module).write_link(links.back(), starts[i], end)) return fail();
    if (!add_module(h, std::move(m.ctx), std::move(m.module), links.back(), trackers, true)) return fail();
  }
  Module chain(name, *h->jit);
  if (!IrWriter(tape, context, *chain.ctx, *chain.module).write_chain(name, links)) return fail();
  TapeFunction fn = add_module(h, std::move(chain.ctx), std::move(chain.module), name, trackers, false);
  if (!fn) return fail();
  return std::make_unique<LlvmTape>(std::move(trackers), fn);
}

}  // namespace numen::expr
